"""Inline the report page's ES modules and stylesheet into one file, for the self-contained export.

The report's browser code lives in ``static/report/`` as plain ES modules (there is no build step).
The export needs it inside the HTML file, so ``inline_module`` follows the relative imports of an
entry module and concatenates the modules in dependency order, dropping the import lines: the result
is one module script. The modules it reaches therefore keep their top-level names distinct.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from app.config import PROJECT_ROOT

REPORT_STATIC = PROJECT_ROOT / "static" / "report"
_IMPORT = re.compile(r"^import\s+\{[^}]*\}\s+from\s+'(\./[\w-]+\.js)';\s*$", re.MULTILINE)
_ANY_IMPORT = re.compile(r"^\s*import[\s{*'\"]", re.MULTILINE)


class AssetMissing(RuntimeError):
    pass


def _read(path: Path) -> str:
    if not path.is_file():
        raise AssetMissing(f"{path.name} is missing from {path.parent}; the report page files are incomplete.")
    return path.read_text(encoding="utf-8")


def _visit(path: Path, done: dict[Path, str], visiting: set[Path]) -> None:
    """Add ``path`` to ``done`` after every module it imports (``visiting`` stops cycles)."""
    if path in done or path in visiting:
        return
    visiting.add(path)
    source = _read(path)
    for relative in _IMPORT.findall(source):
        _visit((path.parent / relative).resolve(), done, visiting)
    body = _IMPORT.sub("", source)
    if _ANY_IMPORT.search(body):
        raise AssetMissing(f"{path.name} imports something other than a sibling module; it cannot be inlined.")
    done[path] = f"// --- {path.name}\n{body.strip()}\n"


@cache
def inline_module(name: str) -> str:
    """The module ``static/report/<name>`` and everything it imports, as one module script."""
    done: dict[Path, str] = {}
    _visit((REPORT_STATIC / name).resolve(), done, set())
    script = "\n".join(done.values())
    return script.replace("</script", "<\\/script")


@cache
def stylesheet(name: str) -> str:
    return _read(REPORT_STATIC / name).replace("</style", "<\\/style")


@cache
def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
