"""The ``dftable_*`` configuration values: one dataclass, registered, validated, documented.

The values are validated once, at ``config-inited``, into a :class:`DfTableConfig` that
every directive of the build reads with :func:`settings`. The reference page's
configuration table is generated from :func:`config_fields`, so the documentation cannot
drift from the code.
"""

from __future__ import annotations

import dataclasses
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

PREFIX = "dftable_"


@dataclass(frozen=True)
class DfTableConfig:
    execute: bool = field(
        default=True,
        metadata={
            "help": "Run snippets. ``False`` runs none (one warning per directive), for builds "
            "of sources you do not trust."
        },
    )
    raise_on_error: bool = field(
        default=False,
        metadata={"help": "Stop the build at the first failing snippet instead of warning."},
    )
    show_traceback: bool = field(
        default=False,
        metadata={
            "help": "Append the snippet's traceback, with its own source lines, to the warning."
        },
    )
    setup_code: str = field(
        default="",
        metadata={
            "help": "Python run before every snippet, in the snippet's namespace: shared imports "
            "and helpers."
        },
    )
    timeout: float = field(
        default=120.0,
        metadata={
            "help": "Seconds a snippet may run before it is stopped with a warning; ``0`` for "
            "no limit."
        },
    )
    formats: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "help": "Display formats by column name for every table, in ``str.format`` syntax, "
            "e.g. ``{'Cost per 1M tokens': '${:,.3f}'}``. Applied when rendering, so the "
            "column still sorts as numbers; a directive's ``:formats:`` overrides them."
        },
    )
    filters: str = field(
        default="auto",
        metadata={
            "help": "Filter controls above tables in HTML: ``'auto'`` (tables of 10 rows or "
            "more get a search box, a multi-select for each column of few distinct values "
            "and a range for each other numeric column), ``'on'`` (every table) or "
            "``'off'``; a directive's ``:filters:`` overrides it."
        },
    )
    cache_size: int = field(
        default=64,
        metadata={
            "help": "How many parsed data files (``pd.read_*`` results) a build keeps in "
            "memory, so a file read by several directives is parsed once; ``0`` turns the "
            "cache off."
        },
    )
    chart_processes: int = field(
        default=0,
        metadata={
            "help": "How many processes draw charts at the same time: ``0`` one per CPU core "
            "the build may use; ``1`` the build draws each chart itself, when its page is "
            "written. Several are worker processes that draw while pages are read and "
            "written, also under ``-j N``; the files are the same either way."
        },
    )

    sources: bool = field(
        default=False,
        metadata={
            "help": "List under every table and chart the data files its snippet read, each "
            "with a download link, the date it last changed and the provenance log's summary "
            "(``:sources:``); a directive's ``:sources: off`` or ``:sources: on`` overrides it."
        },
    )

    @classmethod
    def from_sphinx(cls, config: Config) -> DfTableConfig:
        return cls(**{f.name: getattr(config, PREFIX + f.name) for f in dataclasses.fields(cls)})


def config_fields() -> list[tuple[str, Any, str, str]]:
    """(name, default, type name, help) for every configuration value, for the docs."""
    return [
        (PREFIX + f.name, _default(f), str(f.type), f.metadata["help"])
        for f in dataclasses.fields(DfTableConfig)
    ]


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return f.default


# Field annotations are strings (postponed evaluation); a float setting also takes an int.
_ACCEPTED: dict[str, tuple[type, ...]] = {
    "bool": (bool,),
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "dict[str, str]": (dict,),
}


def _accepted(f: dataclasses.Field[Any]) -> tuple[type, ...]:
    return _ACCEPTED[str(f.type)]


#: The validated settings of each build's configuration.
_SETTINGS: weakref.WeakKeyDictionary[Config, DfTableConfig] = weakref.WeakKeyDictionary()


def settings(config: Config) -> DfTableConfig:
    """The build's validated ``dftable_*`` values."""
    found = _SETTINGS.get(config)
    if found is None:  # a configuration that did not go through config-inited
        validate(None, config)
        found = _SETTINGS[config]
    return found


def register(app: Sphinx) -> None:
    for f in dataclasses.fields(DfTableConfig):
        app.add_config_value(PREFIX + f.name, _default(f), "env", types=_accepted(f))
    # Before other handlers of the event (priority 500), which may read the settings.
    app.connect("config-inited", validate, priority=400)


def validate(app: Sphinx | None, config: Config) -> None:
    for f in dataclasses.fields(DfTableConfig):
        name = PREFIX + f.name
        value = getattr(config, name)
        allowed = _accepted(f)
        # bool is an int: refuse it where a number is meant, and numbers where a bool is.
        wrong_bool = isinstance(value, bool) and bool not in allowed
        if wrong_bool or not isinstance(value, allowed):
            names = " or ".join(t.__name__ for t in allowed)
            raise ConfigError(f"{name} must be {names}, not {type(value).__name__}: {value!r}")
    for column, spec in config.dftable_formats.items():
        if not isinstance(column, str) or not isinstance(spec, str):
            raise ConfigError(f"dftable_formats maps column names to format strings: {column!r}")
    if config.dftable_filters not in ("auto", "on", "off"):
        raise ConfigError(
            f"dftable_filters must be 'auto', 'on' or 'off', not {config.dftable_filters!r}"
        )
    if config.dftable_timeout < 0:
        raise ConfigError(f"dftable_timeout must be >= 0, not {config.dftable_timeout!r}")
    if config.dftable_cache_size < 0:
        raise ConfigError(f"dftable_cache_size must be >= 0, not {config.dftable_cache_size!r}")
    if config.dftable_chart_processes < 0:
        raise ConfigError(
            f"dftable_chart_processes must be >= 0, not {config.dftable_chart_processes!r}"
        )
    _SETTINGS[config] = DfTableConfig.from_sphinx(config)
