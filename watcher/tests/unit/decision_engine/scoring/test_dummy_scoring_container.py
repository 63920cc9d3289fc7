import pytest

from watcher.decision_engine.scoring import base, dummy_scoring_container


def engines():
    return {
        e.get_name(): e
        for e in dummy_scoring_container.DummyScoringContainer.get_scoring_engine_list()
    }


def test_lists_three_engines_with_their_descriptions():
    listed = dummy_scoring_container.DummyScoringContainer.get_scoring_engine_list()
    assert [(e.get_name(), e.get_description(), e.get_metainfo()) for e in listed] == [
        ("dummy_min_scorer", "Dummy Scorer calculating the minimum value", ""),
        ("dummy_max_scorer", "Dummy Scorer calculating the maximum value", ""),
        ("dummy_avg_scorer", "Dummy Scorer calculating the average value", ""),
    ]
    assert all(isinstance(e, base.ScoringEngine) for e in listed)


@pytest.mark.parametrize(
    ("name", "features", "expected"),
    [
        ("dummy_min_scorer", "[7, -2, 5.5]", "[-2]"),
        ("dummy_max_scorer", "[7, -2, 5.5]", "[7]"),
        ("dummy_max_scorer", "[1.25]", "[1.25]"),
        ("dummy_avg_scorer", "[1, 2]", "[1.5]"),
        # The mean is a float even when it is whole.
        ("dummy_avg_scorer", "[2, 4, 6]", "[4.0]"),
        ("dummy_avg_scorer", "[10]", "[10.0]"),
    ],
)
def test_aggregates(name, features, expected):
    assert engines()[name].calculate_score(features) == expected


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ("[]", "At least one feature is required"),
        ("{}", "JSON list expected"),
        ("[1,", "Unable to parse features"),
        ('[1, "2"]', "must be a number"),
    ],
)
@pytest.mark.parametrize("name", ["dummy_min_scorer", "dummy_max_scorer", "dummy_avg_scorer"])
def test_bad_features_are_value_errors(name, features, message):
    with pytest.raises(ValueError, match=message):
        engines()[name].calculate_score(features)
