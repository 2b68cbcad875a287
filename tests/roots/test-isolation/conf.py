extensions = ["sphinx_dftable"]
exclude_patterns = ["_build"]
dftable_setup_code = """
def doubled(frame, column):
    frame = frame.copy()
    frame[column] = frame[column] * 2
    return frame
"""
