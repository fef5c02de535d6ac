"""Press release in, extraction records out (``lgkg.extract``)."""
