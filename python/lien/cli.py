"""The `lien` command line.

Every command prints one clear line on stderr and exits non-zero when it cannot do its job; a Python traceback
is shown only with ``--debug``. Exit codes:

====  ==========================================================================
0     success (for readers: the input was read, even if some records were rejected)
1     the input could not be read at all (missing folder or file, unreadable, not CSV/xAPI)
2     wrong usage (unknown command or option, bad value)
3     a model file was refused (other version, corrupt, unknown features)
4     internal error (a bug in lien: please report it with ``--debug`` output)
====  ==========================================================================
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import lien
from lien import _lien

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_MODEL = 3
EXIT_INTERNAL = 4

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse with lien's exit code for usage errors and one-line messages."""

    def error(self, message: str) -> Any:  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        sys.stderr.write(f"lien: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _summary(args: argparse.Namespace) -> int:
    result = _lien.read_data(args.data)
    report = result.report
    counts = _lien.count_records(result.cohort)
    doc: dict[str, Any] = {
        "read": report.read,
        "accepted": report.accepted,
        "voided": report.voided,
        "rejected": [
            {"source": r.source, "index": r.index, "field": r.field, "reason": r.reason} for r in report.rejected
        ],
        "counts": counts,
    }
    if args.format == "json":
        json.dump(doc, sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
        return EXIT_OK
    out = sys.stdout
    out.write(f"{args.data}\n")
    out.write(
        f"  read {report.read} records: {report.accepted} accepted, {len(report.rejected)} rejected"
        + (f", {report.voided} voided" if report.voided else "")
        + "\n"
    )
    for source, n in report.sources.items():
        out.write(f"    {source:<28} read {n.read:>9}  accepted {n.accepted:>9}  rejected {n.rejected:>7}\n")
    scalar = {k: v for k, v in counts.items() if not isinstance(v, dict)}
    out.write("  " + ", ".join(f"{k} {v}" for k, v in scalar.items()) + "\n")
    for key, title in (
        ("enrolments_by_outcome", "enrolments by outcome"),
        ("events_by_verb", "events by verb"),
        ("stakeholders_by_role", "stakeholders by role"),
        ("relations_by_type", "relations by type"),
        ("steps_by_kind", "steps by kind"),
    ):
        parts = [f"{k} {v}" for k, v in counts[key].items() if v]
        out.write(f"  {title}: " + (", ".join(parts) if parts else "none") + "\n")
    if report.rejected:
        shown = report.rejected[: args.max_rejections]
        out.write(f"  rejections ({len(report.rejected)}):\n")
        for r in shown:
            field = f" [{r.field}]" if r.field else ""
            out.write(f"    {r.source}:{r.index}{field}: {r.reason}\n")
        if len(report.rejected) > len(shown):
            out.write(f"    ... {len(report.rejected) - len(shown)} more (use --format json for all)\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lien",
        description="lien: dropout risk, actions and analytics for learning communities.",
        epilog="Run `lien COMMAND --help` for each command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"lien {lien.__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "summary",
        help="what a dataset holds and what was read",
        description="Reads DATA (a folder of CSV tables, or an xAPI file) and reports what it holds: learners, "
        "paths, steps, enrolments by outcome, events by verb, stakeholders by role, relations — and what was "
        "read, accepted and rejected (with source, line, field and reason).",
        epilog="examples:\n  lien summary examples/data/managers-2027\n"
        "  lien summary statements.ndjson --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("data", metavar="DATA", help="a CSV folder or an xAPI file (JSON array or NDJSON)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    p.add_argument("--max-rejections", type=int, default=20, help="rejections listed in table form (default: 20)")
    p.set_defaults(handler=_summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return handler(args)
    except (lien.ParseError, lien.NotFoundError, lien.IoError) as e:
        code, err = EXIT_INPUT, e
    except lien.ModelError as e:
        code, err = EXIT_MODEL, e
    except lien.InvalidArgument as e:
        code, err = EXIT_USAGE, e
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - the CLI's last line of defence
        code, err = EXIT_INTERNAL, e
    if args.debug:
        raise err
    sys.stderr.write(f"lien {args.command}: {err}\n")
    return code
