"""bench/load.py's memory summary: the RSS after the warm-up and the largest rise after it."""

from __future__ import annotations

from bench.load import growth_after


def test_growth_is_measured_from_the_last_sample_of_the_warm_up():
    samples = [(0.0, 500.0), (5.0, 560.0), (10.0, 600.0), (15.0, 610.0), (20.0, 605.0)]
    assert growth_after(samples, warm_up=10.0) == (600.0, 10.0)


def test_no_samples_on_one_side_of_the_warm_up_gives_no_figure():
    assert growth_after([(0.0, 500.0), (5.0, 510.0)], warm_up=10.0) == (None, None)
    assert growth_after([], warm_up=10.0) == (None, None)
