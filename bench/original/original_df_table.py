"""The original ``df-table`` directive, rebuilt from its documented behaviour for the bench.

Not its code: the same steps. Change into the page's directory, ``exec`` the snippet with
pandas imported, turn the DataFrame into CSV text with ``to_csv(index=False)``, and let
docutils' ``csv-table`` parse that text as the table. pandas is imported when the
extension loads, as it was there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.tables import CSVTable
from docutils.statemachine import StringList


class OriginalDfTable(CSVTable):
    option_spec: ClassVar[dict[str, Any]] = {
        **CSVTable.option_spec,
        "df-arg": directives.unchanged,
    }

    def run(self) -> list[Any]:
        page_dir = Path(self.state.document.current_source).parent
        previous = Path.cwd()
        os.chdir(page_dir)
        try:
            namespace: dict[str, Any] = {"pd": pd}
            exec("\n".join(self.content), namespace)
        finally:
            os.chdir(previous)
        frame = namespace[self.options.get("df-arg", "df")]
        lines = frame.to_csv(index=False).splitlines()
        self.content = StringList(lines, source=self.content.source(0))
        return super().run()


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("df-table", OriginalDfTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
