"""The Helicone server code this library models; every ``path:line`` citation refers to it."""

__all__ = ["COMMIT", "COMMIT_DATE", "REPOSITORY", "UPSTREAM_COMMIT", "UPSTREAM_REPOSITORY"]

# The commit whose files the citations' line numbers count (tests/helicone-manifest.txt lists the
# cited files with their line counts there).
REPOSITORY = "ryoma-bookrack/helicone"
COMMIT = "386924fb0a08d0c3560f570c10bf041ad911abb2"
COMMIT_DATE = "2026-07-30"

# The fork is Helicone/helicone at this commit plus self-hosting changes: worker/ and shared/ are
# the same files, and packages/cost/providers/mappings.ts only adds a pattern for a private LAN
# (lines 39-41 and 186-189 there), which this library's approved list leaves out.
UPSTREAM_REPOSITORY = "Helicone/helicone"
UPSTREAM_COMMIT = "67df07b8d807a960f2e53d9ec2a9c49513ca2379"
