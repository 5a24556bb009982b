"""Moved to :mod:`pulumi_chartmogul.catalog.file` (0.2); this path warns, and goes in 0.3."""

from typing import TYPE_CHECKING

from ._moved import hand_on

if TYPE_CHECKING:
    from .catalog.file import *  # noqa: F403

hand_on(__name__, "pulumi_chartmogul.catalog.file", globals())
