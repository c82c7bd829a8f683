"""The programs admin: programs and their sessions (programs.py), eligibility rules (rules.py),
application questions (questions.py), the review queue (applications.py) and its decisions
(decisions.py). Importing the modules registers their ModelAdmins."""

from . import applications, programs, rules  # noqa: F401
