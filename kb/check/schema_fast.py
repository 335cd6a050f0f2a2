"""A quick yes/no verdict on a regulation before the detailed JSON Schema check.

``jsonschema`` explains every problem, which the build needs for invalid files, but it takes
~6 ms per regulation even when there is nothing to explain. ``fastjsonschema`` compiles the
same schema to plain Python and answers "valid" about ten times faster; only when it says
"invalid" does ``jsonschema`` run to find out why. The formats are checked as ``jsonschema``
checks them, and defaults are never written into the data. Compiling the generated module
took 0.1 s of every build (in every process): it is kept between builds (kb.compiled).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from functools import partial

from kb.compiled import kept_code


def fast_verdict(
    schema: dict, name: str = "kb-schema-quick", checked: Callable[[], object] = lambda: None
) -> Callable[[object], bool]:
    """``verdict(data)`` is True only if ``data`` is valid; False means "ask jsonschema".

    The compiled module is kept under ``name`` (kb.compiled); it is made only once ``checked()``
    (the schema's own check) has returned: a schema it refuses gets no quick verdict."""
    try:
        import fastjsonschema
        from fastjsonschema.ref_resolver import RefResolver
    except ImportError:  # optional speed-up: without it every file gets the detailed check
        return _unknown

    def generated():
        checked()
        source = fastjsonschema.compile_to_code(schema, formats=FORMATS, use_default=False)
        return compile(source, f"<fastjsonschema: {name}>", "exec")

    try:
        made_from = json.dumps([fastjsonschema.VERSION, schema], sort_keys=True)
        module: dict = {}
        exec(kept_code(name, made_from, generated), module)
        root = RefResolver.from_schema(schema, handlers={}).get_scope_name()
        check = partial(module[root], custom_formats=FORMATS)
    except Exception:  # a construct it cannot compile: keep the detailed check only
        return _unknown

    def verdict(data: object) -> bool:
        try:
            check(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return verdict


def _unknown(data: object) -> bool:
    return False


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(value: object) -> bool:
    """Exactly jsonschema's ``date`` format: a real calendar day written as YYYY-MM-DD."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.fullmatch(value) and date.fromisoformat(value))
    except ValueError:
        return False


FORMATS = {"date": _is_date}
