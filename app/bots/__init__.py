"""Scripted bot teams that play exercises over the public websocket protocol, and ``hotline demo``.

See docs/bots.md. The command lives in ``demo``; a game is played by ``match.play_match``.
"""
