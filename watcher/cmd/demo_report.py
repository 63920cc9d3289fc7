"""The demo's before/after, three ways: text bars for the terminal, a PNG chart, an HTML page."""

from __future__ import annotations

import dataclasses
import html
import os

from watcher.cmd.demo_cloud import HostUse, Snapshot

BAR = 20  # characters for 100 %


@dataclasses.dataclass
class Outcome:
    """What one demo run did, as the report shows it."""

    strategy: str
    before: Snapshot
    after: Snapshot
    migrations: int
    seconds: dict[str, float]  # step -> wall seconds
    indicators: dict[str, float]

    def summary(self) -> list[tuple[str, str, str]]:
        """``(what, before, after)`` rows."""
        return [
            ("active hosts", str(self.before.active_hosts), str(self.after.active_hosts)),
            ("lower bound (hosts)", str(self.before.lower_bound()),
             str(self.after.lower_bound())),
            ("overloaded hosts", str(len(self.before.overloaded)),
             str(len(self.after.overloaded))),
            ("vCPU-overcommitted hosts",
             str(sum(h.overcommitted for h in self.before.hosts.values())),
             str(sum(h.overcommitted for h in self.after.hosts.values()))),
            ("fullest allocation", _fullest(self.before), _fullest(self.after)),
        ]


def _fullest(snap: Snapshot) -> str:
    """The highest allocated-over-allocatable of any host and resource class."""
    return f"{max((h.fullest_allocation()[1] for h in snap.hosts.values()), default=0):.0%}"


def allocation(host: HostUse) -> str:
    """``disk 98%``: the resource class that limits how much more the host can take."""
    if not host.servers:
        return ""
    kind, fraction = host.fullest_allocation()
    return f"{kind} {fraction:.0%}"


def bar(fraction: float) -> str:
    """``[#####.....]`` for 0..100 %, with ``!`` past the end when over 100 %."""
    filled = min(BAR, round(fraction * BAR))
    return "[" + "#" * filled + "." * (BAR - filled) + "]" + ("!" if fraction > 1.0 else " ")


def _host_order(outcome: Outcome) -> list[str]:
    """Busiest first before the plan, so the emptied hosts end up at the bottom."""
    return sorted(outcome.before.hosts, key=lambda n: (-outcome.before.hosts[n].cpu_use, n))


def text_chart(outcome: Outcome) -> str:
    lines = [f"  {'host':<14}{'cores':>5}  {'CPU before':<23}{'after':<23}"
             f"{'RAM before':<23}{'after':<23}servers    fullest allocation after"]
    for name in _host_order(outcome):
        old, new = outcome.before.hosts[name], outcome.after.hosts.get(name)
        new = new or HostUse(name, "gone", old.cores, 0, 0)
        lines.append(
            f"  {name:<14}{old.cores:>5}  "
            f"{bar(old.cpu_use)}{old.cpu_use:>4.0%} {bar(new.cpu_use)}{new.cpu_use:>4.0%} "
            f"{bar(old.memory_use)}{old.memory_use:>4.0%} {bar(new.memory_use)}"
            f"{new.memory_use:>4.0%} {len(old.servers):>3} -> {len(new.servers):<3}   "
            f"{allocation(new)}" + ("  OVERLOADED" if new.overload() else ""))
    return "\n".join(lines)


def write_png(outcome: Outcome, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    names = _host_order(outcome)
    figure, axes = pyplot.subplots(2, 1, figsize=(14, 7), sharex=True)
    positions = range(len(names))
    panels = (("before", outcome.before), ("after", outcome.after))
    for axis, (title, snap) in zip(axes, panels, strict=True):
        hosts = [snap.hosts.get(n) for n in names]
        cpu = [100 * h.cpu_use if h else 0 for h in hosts]
        ram = [100 * h.memory_use if h else 0 for h in hosts]
        allocated = [100 * h.fullest_allocation()[1] if h else 0 for h in hosts]
        axis.bar([p - 0.27 for p in positions], cpu, width=0.27,
                 label="CPU used (of physical cores)", color="#3b6fb6")
        axis.bar(list(positions), ram, width=0.27, label="RAM used (of allocatable)",
                 color="#e08a2c")
        axis.bar([p + 0.27 for p in positions], allocated, width=0.27,
                 label="fullest allocation (vCPU, RAM or disk, of allocatable)",
                 color="#9a9a9a")
        axis.axhline(100, color="#c0392b", linestyle="--", linewidth=1)
        axis.set_ylabel("%")
        axis.set_ylim(0, max(110, *cpu, *ram, *allocated) + 5)
        axis.set_title(f"{title}: {snap.active_hosts} active hosts, "
                       f"{len(snap.overloaded)} overloaded")
        axis.legend(loc="upper right")
    axes[1].set_xticks(list(positions))
    axes[1].set_xticklabels(names, rotation=90, fontsize=7)
    figure.suptitle(f"{outcome.strategy}: {outcome.migrations} migrations, lower bound "
                    f"{outcome.before.lower_bound()} hosts")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def _css_bar(fraction: float) -> str:
    color = "#c0392b" if fraction > 1.0 else "#3b6fb6"
    width = min(100.0, 100 * fraction)
    return (f'<div class="bar"><div style="width:{width:.1f}%;background:{color}"></div></div>'
            f"{fraction:.0%}")


def write_html(outcome: Outcome, path: str, png_name: str) -> None:
    summary = "".join(f"<tr><th>{html.escape(what)}</th><td>{b}</td><td>{a}</td></tr>"
                      for what, b, a in outcome.summary())
    facts = [("strategy", outcome.strategy), ("migrations", str(outcome.migrations))]
    facts += [(f"time: {step}", f"{seconds:.1f} s") for step, seconds in outcome.seconds.items()]
    facts += [(f"indicator: {name}", f"{value:g}") for name, value in outcome.indicators.items()]
    fact_rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                        for k, v in facts)
    rows = []
    for name in _host_order(outcome):
        old = outcome.before.hosts[name]
        new = outcome.after.hosts.get(name) or HostUse(name, "gone", old.cores, 0, 0)
        problems = "; ".join(new.overload())
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{old.cores}</td>"
            f"<td>{_css_bar(old.cpu_use)}</td><td>{_css_bar(new.cpu_use)}</td>"
            f"<td>{_css_bar(old.memory_use)}</td><td>{_css_bar(new.memory_use)}</td>"
            f"<td>{len(old.servers)}</td><td>{len(new.servers)}</td>"
            f"<td>{html.escape(allocation(new))}</td>"
            f"<td>{html.escape(new.status)}</td><td>{html.escape(problems)}</td></tr>")
    title = f"Watcher demo: {html.escape(outcome.strategy)}"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; margin-bottom: 1.5em; }}
th, td {{ border: 1px solid #ccc; padding: 2px 8px; text-align: left; font-size: 13px; }}
.bar {{ display: inline-block; width: 120px; height: 10px; background: #eee; margin-right: 6px; }}
.bar div {{ height: 10px; }}
</style></head><body>
<h1>Watcher demo: server consolidation with {html.escape(outcome.strategy)}</h1>
<table><tr><th></th><th>before</th><th>after</th></tr>{summary}</table>
<table>{fact_rows}</table>
<p><img src="{html.escape(png_name)}" alt="CPU and RAM use per host, before and after"></p>
<p>CPU is the measured use over the host's physical cores; RAM is the measured use over its
allocatable memory. The fullest allocation is the resource class (vCPU, RAM or disk, as
Nova claims them from the flavors) closest to what Placement allows: the limit that keeps a
consolidation from packing the host further. A host is overloaded when its measured CPU
exceeds its cores or its allocations exceed what Placement allows.</p>
<table><tr><th>host</th><th>cores</th><th>CPU before</th><th>CPU after</th><th>RAM before</th>
<th>RAM after</th><th>servers before</th><th>servers after</th>
<th>fullest allocation after</th><th>service after</th>
<th>overload after</th></tr>
{"".join(rows)}
</table></body></html>
"""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(page)


def write_files(outcome: Outcome, directory: str) -> tuple[str, str]:
    """The PNG chart and the HTML page, in ``directory``; their paths."""
    os.makedirs(directory, exist_ok=True)
    png = os.path.join(directory, "consolidation.png")
    page = os.path.join(directory, "consolidation.html")
    write_png(outcome, png)
    write_html(outcome, page, os.path.basename(png))
    return os.path.abspath(png), os.path.abspath(page)
