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


def summary(tmp_path, capsys, *, full, default, trivial, one_query=None, updates=None):
    paths = {}
    for name, text in (
        [("full", full), ("default", default), ("identity", wrk_output(100))]
        + [(f"trivial{i}", t) for i, t in enumerate(trivial)]
        + ([("one_query", one_query)] if one_query else [])
        + ([("updates", updates)] if updates else [])
    ):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(text)
    loadtest.wrk_summary(
        argparse.Namespace(
            n=1000,
            full=paths["full"],
            default=paths["default"],
            identity=paths["identity"],
            trivial=[paths[f"trivial{i}"] for i in range(len(trivial))],
            one_query=paths.get("one_query"),
            updates=paths.get("updates"),
            rounds=None,
        )
    )
    return {line.split()[1]: line for line in capsys.readouterr().out.splitlines()}


def test_the_baseline_is_the_mean_of_the_healthz_runs_around_the_pages(tmp_path, capsys):
    lines = summary(
        tmp_path,
        capsys,
        full=wrk_output(600),
        default=wrk_output(700),
        trivial=[wrk_output(1400), wrk_output(1000)],
    )
    assert "trivial_rps=1200.0 ratio=0.500" in lines["thread_full"]
    assert "p50_ms=9.8 p99_ms=31.5" in lines["thread_full"]
    assert "ratio=0.583" in lines["thread_default"]
    assert lines["thread_target"].endswith(" met")
    assert "one_query" not in lines


def test_the_one_query_view_is_reported_beside_the_target(tmp_path, capsys):
    lines = summary(
        tmp_path,
        capsys,
        full=wrk_output(600),
        default=wrk_output(700),
        trivial=[wrk_output(1200)],
        one_query=wrk_output(800),
    )
    assert "ratio=0.667 thread_full_of_it=0.750" in lines["one_query"]
    assert "trivial_rps=1200.0 ratio=0.500" in lines["thread_full"]  # the target stays /healthz


def test_the_live_updates_run_is_reported_against_healthz(tmp_path, capsys):
    lines = summary(
        tmp_path,
        capsys,
        full=wrk_output(600),
        default=wrk_output(700),
        trivial=[wrk_output(1000)],
        updates=wrk_output(900, non2xx=1),
    )
    assert lines["updates_wrk"] == (
        "LOAD updates_wrk rps=900.0 p50_ms=9.8 p99_ms=31.5 ratio=0.900 non2xx=1"
    )


def test_the_target_is_not_met_below_half_or_with_errors(tmp_path, capsys):
    slow = summary(
        tmp_path,
        capsys,
        full=wrk_output(590),
        default=wrk_output(900),
        trivial=[wrk_output(1200), wrk_output(1200)],
    )
    assert slow["thread_target"].endswith("NOT met")
    failing = summary(
        tmp_path,
        capsys,
        full=wrk_output(900, non2xx=3),
        default=wrk_output(900),
        trivial=[wrk_output(1200)],
    )
    assert "non2xx=3" in failing["thread_full"]
    assert failing["thread_target"].endswith("NOT met")


def rounds(tmp_path, capsys, healthz, full, default, non2xx=0):
    folder = tmp_path / "rounds"
    folder.mkdir(parents=True)
    for i, rps in enumerate(healthz, 1):
        (folder / f"healthz_{i}.txt").write_text(wrk_output(rps))
    for page, values in (("full", full), ("default", default)):
        for i, rps in enumerate(values, 1):
            (folder / f"{page}_{i}.txt").write_text(wrk_output(rps, non2xx=non2xx if i == 2 else 0))
    loadtest.rounds_summary(folder, len(full))
    return {line.split()[1]: line for line in capsys.readouterr().out.splitlines()}


def test_each_round_is_against_the_healthz_runs_either_side_and_the_median_decides(
    tmp_path, capsys
):
    # The machine halves its speed over the rounds: every round is still 0.55 of its neighbours.
    lines = rounds(
        tmp_path,
        capsys,
        healthz=[2000, 1600, 1200, 1000],
        full=[990, 770, 605],
        default=[1080, 840, 660],
    )
    assert "full_ratio_median=0.550 default_ratio_median=0.600" in lines["interleaved"]
    assert (
        "full_ratios=0.55,0.55,0.55 default_ratios=0.60,0.60,0.60 non2xx=0" in lines["interleaved"]
    )
    assert lines["thread_target_interleaved"].endswith(" met")


def test_interleaved_target_fails_below_half_or_on_any_error(tmp_path, capsys):
    low = rounds(tmp_path, capsys, healthz=[1000] * 4, full=[600, 450, 480], default=[600] * 3)
    assert "full_ratio_median=0.480" in low["interleaved"]
    assert low["thread_target_interleaved"].endswith("NOT met")
    errors = rounds(
        tmp_path / "e", capsys, healthz=[1000] * 4, full=[600] * 3, default=[600] * 3, non2xx=2
    )
    assert "non2xx=4" in errors["interleaved"]
    assert errors["thread_target_interleaved"].endswith("NOT met")
