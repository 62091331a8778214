"""What a table means: its form, rows and columns by label, the 类/款/项 hierarchy, which rows a
total sums, scoring tables read into indicators, and how far its parse can be trusted.
"""
