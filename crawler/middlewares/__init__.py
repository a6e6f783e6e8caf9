"""Downloader middlewares: address safety, known-URL skipping, polite retries."""
