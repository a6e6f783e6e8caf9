"""The benchmark of issue 11: storywatch against its baselines (`make bench`, `python -m bench`)."""
