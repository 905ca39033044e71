"""``curator probe``: send one held-out example to a model and show the raw exchange.

The quickest answer to "why does it score zero?": the exact request (never its headers), the
status and body that came back, the taxonomy kind and the advice eval would give. One attempt,
no retries and no cache, so what is shown is what the server did.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson

from core.config import CuratorConfig
from core.eval.client import ChatClient, Exchange, build_request
from core.eval.diagnosis import advice, label
from core.eval.heldout import Example, HeldoutError, load_heldout
from core.eval.kinds import example_kind, kind_for_task
from core.eval.outputs import Output, gold_answer, read_answer
from core.eval.specs import ModelTarget, resolve_model
from core.eval.toolcalls import ToolCall
from core.rules.kinds import OutputKind

# What a usable answer of each output kind is, as the probe's last line says it.
USABLE = {
    "json": "usable JSON of the {task} shape",
    "tool_call": "usable tool calls: offered names, JSON-object arguments",
    "text": "usable text answer",
    "reasoning": "usable answer after the reasoning",
}


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """One exchange with one model: what was sent, what came back, what it means."""

    target: ModelTarget
    example: Example
    url: str
    request: dict[str, Any]
    exchange: Exchange | None  # None for the gold model
    output: Output
    advice: str
    kind: str = "json"  # the example's output kind: what a usable answer is


def probe(
    spec: str,
    heldout: Path,
    *,
    task: str | None = None,
    index: int = 0,
    config: CuratorConfig | None = None,
    env: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ProbeResult:
    """Send example ``index`` of ``task`` (default: the first task found) to one model.

    Raises:
        ModelSpecError: the MODEL argument cannot be used.
        HeldoutError: the held-out set or the example cannot be read.
    """
    config = config or CuratorConfig()
    settings = config.eval.model_copy(update={"retries": 0})
    target = resolve_model(spec, settings, config.models, env, config.providers)
    loaded = load_heldout(heldout, [task] if task else None, index + 1)
    first_task = next(iter(loaded.examples))
    examples = loaded.examples[first_task]
    if index >= len(examples):
        raise HeldoutError(f"{heldout}: {first_task} has {len(examples)} examples, no #{index}")
    example = examples[index]
    kind = example_kind(example, kind_for_task(config, example.task))
    request = build_request(target, example.prompt, example.tools, kind == OutputKind.JSON)
    if target.is_gold:
        output = gold_answer(example)
        return ProbeResult(target, example, "(gold: no request)", request, None, output, "", kind)

    async def send() -> Exchange:
        async with ChatClient(target, settings, transport=transport) as client:
            return await client.complete(request)

    exchange = asyncio.run(send())
    output = read_answer(exchange, example, kind)
    hint = "" if output.usable else advice(output.kind, output.detail, target, settings)
    url = f"{target.endpoint}/chat/completions"
    return ProbeResult(target, example, url, request, exchange, output, hint, kind)


def render_probe(result: ProbeResult) -> str:
    """The raw exchange as text: request line and body, status, latency and body, verdict."""
    example = result.example
    lines = [
        f"# {result.target.spec}: {example.task} example #{example.position} (line {example.line})",
        f"POST {result.url}",
        _pretty(result.request),
        "",
    ]
    exchange = result.exchange
    if exchange is None:
        lines.append("gold answer:")
        lines.append(result.output.content)
        lines += [_call_line(call) for call in result.output.tool_calls]
    elif exchange.status is None:
        lines.append(f"no response: {exchange.error} ({exchange.error_message})")
    else:
        lines.append(f"HTTP {exchange.status} in {exchange.latency_ms:.0f} ms")
        lines.append(_pretty_text(exchange.body or ""))
    lines.append("")
    output = result.output
    if output.usable:
        lines.append(f"result: {output.kind} ({USABLE[result.kind].format(task=example.task)})")
    else:
        lines.append(f"result: {label(output.kind, output.detail)} — {result.advice}")
    return "\n".join(lines) + "\n"


def _call_line(call: ToolCall) -> str:
    parsed = call.parsed_arguments
    return f"tool call {call.name}: {_pretty(parsed if parsed is not None else call.arguments)}"


def _pretty(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()


def _pretty_text(body: str) -> str:
    try:
        return _pretty(orjson.loads(body))
    except orjson.JSONDecodeError:
        return body
