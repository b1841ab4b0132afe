"""The demo that `make run` loads: seed threads (seeds/) and generated articles (build.py)."""
