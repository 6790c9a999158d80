"""The deck writer: a Document in, a .pptx out (outline -> plan -> render); see render.write_deck."""
