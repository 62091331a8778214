"""Evaluations the checks share: what the narrative's claims, amounts and 预算 科目 paragraphs say against the
tables, worked out once per report.

Nothing here is a check and nothing here registers one: the analysis context (`checks/context.py`) owns each
evaluation as a typed, lazily computed attribute, and the checks (`checks/*.py`) pick their findings from it.
So no check reads state another check left behind, and no check module imports another.
"""
