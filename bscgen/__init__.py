"""bscgen: publish an IT department's Balanced Scorecard as a static website."""

__version__ = "0.1.0"
