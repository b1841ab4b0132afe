"""`make loadtest`'s wrk summary: the thread page's throughput against /healthz's."""

import argparse

from bench import loadtest


def wrk_output(rps: float, non2xx: int = 0) -> str:
    """The parts of `wrk --latency` output that the summary reads."""
    return (
        "Running 15s test @ http://127.0.0.1:8000/\n"
        "  Latency Distribution\n     50%    9.80ms\n     90%   15.00ms\n     99%   31.50ms\n"
        f"  {int(rps * 15)} requests in 15.00s, 1.00GB read\n"
        + (f"  Non-2xx or 3xx responses: {non2xx}\n" if non2xx else "")
        + f"Requests/sec:    {rps:.2f}\n"
    )


def summary(tmp_path, capsys, *, full, default, trivial, one_query=None):
    paths = {}
    for name, text in [("full", full), ("default", default), ("identity", wrk_output(100))] + [
            (f"trivial{i}", t) for i, t in enumerate(trivial)] + ([("one_query", one_query)] if one_query else []):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(text)
    loadtest.wrk_summary(argparse.Namespace(
        n=1000, full=paths["full"], default=paths["default"], identity=paths["identity"],
        trivial=[paths[f"trivial{i}"] for i in range(len(trivial))],
        one_query=paths.get("one_query")))
    return {line.split()[1]: line for line in capsys.readouterr().out.splitlines()}


def test_the_baseline_is_the_mean_of_the_healthz_runs_around_the_pages(tmp_path, capsys):
    lines = summary(tmp_path, capsys, full=wrk_output(600), default=wrk_output(700),
                    trivial=[wrk_output(1400), wrk_output(1000)])
    assert "trivial_rps=1200.0 ratio=0.500" in lines["thread_full"]
    assert "p50_ms=9.8 p99_ms=31.5" in lines["thread_full"]
    assert "ratio=0.583" in lines["thread_default"]
    assert lines["thread_target"].endswith(" met")
    assert "one_query" not in lines


def test_the_one_query_view_is_reported_beside_the_target(tmp_path, capsys):
    lines = summary(tmp_path, capsys, full=wrk_output(600), default=wrk_output(700),
                    trivial=[wrk_output(1200)], one_query=wrk_output(800))
    assert "ratio=0.667 thread_full_of_it=0.750" in lines["one_query"]
    assert "trivial_rps=1200.0 ratio=0.500" in lines["thread_full"]  # the target stays /healthz


def test_the_target_is_not_met_below_half_or_with_errors(tmp_path, capsys):
    slow = summary(tmp_path, capsys, full=wrk_output(590), default=wrk_output(900),
                   trivial=[wrk_output(1200), wrk_output(1200)])
    assert slow["thread_target"].endswith("NOT met")
    failing = summary(tmp_path, capsys, full=wrk_output(900, non2xx=3), default=wrk_output(900),
                      trivial=[wrk_output(1200)])
    assert "non2xx=3" in failing["thread_full"]
    assert failing["thread_target"].endswith("NOT met")
