"""What several test modules share: runs and rows to write, the plain pipeline, headless Chromium, processes."""
