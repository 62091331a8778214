"""Figure <-> cell: the cell index and label scores (match), the links with their runners-up
(link), what a figure asks of a cell (link_names) and the linker's words (link_words, links.toml).
"""
