"""`mlview check` output for CI systems: SARIF 2.1.0, JUnit XML and GitHub workflow commands.

- SARIF (GitHub code scanning, GitLab): one rule per finding code, one result per finding;
  where the loader knows the file and line an object starts on (manifest folders), the result
  points there, so the finding shows on the pull request's line.
- JUnit: one test suite per domain (storage, ingress, reachability), one test case per
  object and domain; a finding is a failure carrying its message and hint.
- GitHub: `::error file=...,line=...,title=CODE::message` lines for Actions logs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from mlview import __version__
from mlview.analysis.findings import Finding, Severity
from mlview.sanitize import clean

Locate = Callable[[Finding], "tuple[str, int | None] | None"]
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _no_location(_: Finding) -> None:
    return None


def rule_text(code: str) -> dict[str, Any]:
    """Title, meaning, what the user sees, the fix and the sources of a code, from the findings
    catalogue."""
    from mlview.analysis.catalogue import CATALOGUE

    entry = CATALOGUE.get(code)
    if entry is None:  # not catalogued: the code speaks for itself
        return {}
    return {
        "title": entry.title,
        "meaning": entry.means,
        "impact": entry.sees,
        "fix": entry.fix,
        "sources": list(entry.sources),
    }


def _camel(code: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^a-zA-Z0-9]+", code) if part)


def sarif(
    found: Sequence[Finding], locate: Locate = _no_location, docs_url: str = ""
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the findings (a dict, for json.dumps)."""
    codes = sorted({f.code for f in found})
    index = {code: i for i, code in enumerate(codes)}
    severity_of = {f.code: f.severity for f in found}
    rules = []
    for code in codes:
        text = rule_text(code)
        title = text.get("title") or code
        rule: dict[str, Any] = {
            "id": code,
            "name": _camel(code),
            "shortDescription": {"text": title},
            "fullDescription": {"text": text.get("meaning") or title},
            "help": {
                "text": " ".join(t for t in (text.get("impact"), text.get("fix")) if t) or title
            },
            "defaultConfiguration": {"level": SARIF_LEVEL[severity_of[code]]},
        }
        if docs_url:
            rule["helpUri"] = f"{docs_url.rstrip('#')}#{code}"
        if text.get("sources"):  # the official docs the rule is based on (a property bag)
            rule["properties"] = {"sources": text["sources"]}
        rules.append(rule)
    results = []
    for f in found:
        message = clean(f.message, single_line=True)
        if f.hint:
            message += f" Fix: {clean(f.hint, single_line=True)}"
        location: dict[str, Any] = {
            "logicalLocations": [
                {
                    "name": clean(f.name, single_line=True),
                    "fullyQualifiedName": clean(f.ref, single_line=True),
                    "kind": f.kind,
                }
            ]
        }
        where = locate(f)
        if where is not None:
            file, line = where
            physical: dict[str, Any] = {"artifactLocation": {"uri": file}}
            if line:
                physical["region"] = {"startLine": line}
            location["physicalLocation"] = physical
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": message},
                "locations": [location],
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlview",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }


def sarif_text(found: Sequence[Finding], locate: Locate = _no_location, docs_url: str = "") -> str:
    return json.dumps(sarif(found, locate, docs_url), indent=2)


# ---- JUnit ---------------------------------------------------------------------------------


def junit_text(
    suites: Iterable[tuple[str, Sequence[tuple[str, str, str]], Sequence[Finding]]],
    fail_on: Severity = Severity.ERROR,
) -> str:
    """`suites`: (domain, objects it checked as (kind, namespace, name), its findings).
    Findings that reach `fail_on` (what fails the CI gate) are failures; the others are
    listed in the test case's output, so a report is red exactly when the gate is."""
    root = ET.Element("testsuites", name="mlview check")
    total = failed = 0
    for domain, objects, found in suites:
        by_object: dict[tuple[str, str, str], list[Finding]] = {}
        for f in found:
            by_object.setdefault((f.kind, f.namespace, f.name), []).append(f)
        keys = list(dict.fromkeys([*objects, *by_object]))
        suite = ET.SubElement(root, "testsuite", name=domain, tests=str(len(keys)))
        suite_failures = 0
        for kind, ns, name in keys:
            ref = f"{kind}/{ns}/{name}" if ns else f"{kind}/{name}"
            case = ET.SubElement(suite, "testcase", classname=f"mlview.{domain}", name=_xml(ref))
            problems = by_object.get((kind, ns, name), [])
            failing = [f for f in problems if f.severity.rank >= fail_on.rank]
            if failing:
                suite_failures += 1
            for f in failing:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=_xml(f"{f.code}: {clean(f.message, single_line=True)}"),
                    type=f.severity.value,
                )
                failure.text = _xml(_long(f))
            notes = [f for f in problems if f not in failing]
            if notes:
                out = ET.SubElement(case, "system-out")
                out.text = _xml(
                    "\n".join(f"{f.severity.value} {f.code}: {_long(f)}" for f in notes)
                )
        suite.set("failures", str(suite_failures))
        total += len(keys)
        failed += suite_failures
    root.set("tests", str(total))
    root.set("failures", str(failed))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _long(f: Finding) -> str:
    return clean(f.message) + (f"\nhint: {clean(f.hint)}" if f.hint else "")


_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    """XML 1.0 cannot hold some characters at all (not even escaped): drop them."""
    return _XML_INVALID.sub("", text)


# ---- GitHub workflow commands --------------------------------------------------------------


def github_text(found: Sequence[Finding], locate: Locate = _no_location) -> str:
    lines = []
    for f in found:
        props = []
        where = locate(f)
        if where is not None:
            file, line = where
            props.append(f"file={_gh_prop(file)}")
            if line:
                props.append(f"line={line}")
        props.append(f"title={_gh_prop(f'{f.code} {f.ref}')}")
        lines.append(f"::{GITHUB_COMMAND[f.severity]} {','.join(props)}::{_gh_data(_long(f))}")
    return "\n".join(lines)


def _gh_data(text: str) -> str:
    # The escaping GitHub's toolkit applies (actions/toolkit, core/src/command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(clean(text, single_line=True)).replace(":", "%3A").replace(",", "%2C")
