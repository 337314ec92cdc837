"""Webhook router: decide which endpoints an incoming event is forwarded to.

Rules are created by workspace admins in the dashboard and stored as JSON, e.g.

    {"name": "big orders",
     "condition": "payload['type'] == 'order.created' and payload['data']['total'] > 500",
     "target": "https://hooks.example.com/sales"}
"""
import ast
import json
import logging
from functools import lru_cache
from typing import Iterable

log = logging.getLogger(__name__)

_ALLOWED_NODES = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub,
    ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
    ast.Subscript, ast.Name, ast.Load, ast.Constant, ast.List, ast.Tuple,
)


@lru_cache(maxsize=1024)
def compile_condition(source: str):
    tree = ast.parse(source, mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValueError(f"unsupported element in condition: {type(node).__name__}")
        if isinstance(node, ast.Name) and node.id != "payload":
            raise ValueError(f"unknown name in condition: {node.id}")
    return compile(tree, "<rule>", "eval")


def rule_matches(rule: dict, payload: dict) -> bool:
    code = compile_condition(rule["condition"])
    try:
        return bool(eval(code, {"__builtins__": {}}, {"payload": payload}))
    except (KeyError, IndexError, TypeError):
        return False


def select_targets(payload: dict, rules: Iterable[dict]) -> list[str]:
    targets = []
    for rule in rules:
        try:
            if rule_matches(rule, payload):
                targets.append(rule["target"])
        except (SyntaxError, ValueError) as exc:
            log.warning("skipping invalid rule %r: %s", rule.get("name"), exc)
    return targets


def load_rules(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
