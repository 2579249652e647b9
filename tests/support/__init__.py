"""What several test modules share: runs and rows to write, the plain pipeline, headless Chromium, processes,
forked `broadsheet run` processes, moto's S3 server and a proxy that cuts it off."""
