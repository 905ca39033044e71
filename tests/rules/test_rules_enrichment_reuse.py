"""Differential: enrichment.ungrounded reuses overwrite's comparisons without changing a finding.

With enrichment.overwrite on, the fields the output kept as they were come from that rule's
pass; with it off, they are compared again. Both must ask grounding about the same fields.
"""

from __future__ import annotations

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import CuratorConfig
from core.rules.enrichment import _check_grounding, _check_overwrite
from core.rules.findings import FindingList
from core.rules.output import OutputJson
from core.rules.settings import call_rule_settings

VALUE = st.recursive(
    st.none() | st.booleans() | st.sampled_from([0, 1, 1.0, 2.5, "Casa", "casa", "", "512"]),
    lambda children: (
        st.lists(children, max_size=2)
        | st.dictionaries(st.sampled_from(["a", "b"]), children, max_size=2)
    ),
    max_leaves=4,
)
FIELDS = st.sampled_from(["name", "phone", "website", "rating", "hours", "x"])
OBJECT = st.dictionaries(FIELDS, VALUE, max_size=5)
PAGE = "Casa Verde, phone 512 555 0142, rated 2.5 by 1 diner; hours: 7-3. casa x"


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(entity=OBJECT, result=OBJECT)
def test_grounding_after_overwrite_asks_about_the_same_fields(entity, result) -> None:
    severities = call_rule_settings(CuratorConfig()).severities
    messages = [{"role": "user", "content": PAGE}, {"role": "assistant", "content": "{}"}]
    output = OutputJson(result, orjson.dumps(result).decode(), True)
    reused, recomputed = FindingList(severities), FindingList(severities)
    same = _check_overwrite(entity, result, FindingList(severities))
    _check_grounding(entity, result, output, messages, reused, same)
    _check_grounding(entity, result, output, messages, recomputed)
    assert [f.message for f in reused.findings] == [f.message for f in recomputed.findings]
