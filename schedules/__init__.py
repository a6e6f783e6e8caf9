"""Running storywatch: the CLI, one-off runs, the daemon and email alerts."""
