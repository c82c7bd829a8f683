"""Staff side of community building in the Django admin: calls (categories, rubric, evaluators),
proposals (screening, field-visit notes, milestones, payments, public results) and activity reports
(review). Every queryset is scoped with visible_to; every change goes through community.services.

Scores are not in the admin at all: the evaluators' pages show them under the independence rule
(services.scores_visible); staff see the means on the ranking page once scoring has closed.
"""

from . import calls, proposals, reports  # noqa: F401
