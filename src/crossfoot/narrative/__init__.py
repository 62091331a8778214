"""What the narrative says: its figures (value, unit, precision, label, relation), the relations
between them it asserts (claims), and the quote around a figure.
"""
