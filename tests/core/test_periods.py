"""Financial years in titles: a plan's title names the year it is for."""

from __future__ import annotations

import pytest

from cspdesk.core.plan.periods import retitled


@pytest.mark.parametrize(
    ("title", "wanted"),
    [
        ("Partnership Plan 2016/17", "Partnership Plan 2018/19"),
        ("Partnership Plan 2016-2017", "Partnership Plan 2018-2019"),
        ("CSP plan 2016 – 17 (draft)", "CSP plan 2018 – 19 (draft)"),
        ("Partnership Plan 2018/19", "Partnership Plan 2018/19"),
        ("Partnership Plan", "Partnership Plan"),
        ("Strategy 2016-2019", "Strategy 2016-2019"),  # three years, not a financial year
        ("Plan 2016/17 and 2017/18", "Plan 2016/17 and 2017/18"),  # which one? left as it is
    ],
)
def test_a_title_names_the_plans_year_in_its_own_style(title: str, wanted: str) -> None:
    assert retitled(title, "2018/19") == wanted
