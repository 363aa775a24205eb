"""The changelog: model, fast structural parser, rules."""

from .model import Changelog, Entry, Heading, LinkDefinition, Release, ReleaseHeading, Section
from .parser import parse

__all__ = [
    "Changelog",
    "Entry",
    "Heading",
    "LinkDefinition",
    "Release",
    "ReleaseHeading",
    "Section",
    "parse",
]
