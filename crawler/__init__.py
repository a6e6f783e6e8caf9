"""Finding and reading pages: config, extraction, the story profile, the spider."""
