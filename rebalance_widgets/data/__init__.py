"""Embedded data: monthly market history, the risk questionnaire and preset mixes."""
