"""Guards at the edges: checks every input passes before it reaches the engine or the database.

``text`` refuses characters no database stores (NUL, lone surrogates), ``jsonload`` parses JSON with
bounded depth, ``throttle`` and ``connections`` bound what one client address may try, and
``csvcells`` makes every cell of a CSV Hotline writes safe to open in a spreadsheet program.
"""
