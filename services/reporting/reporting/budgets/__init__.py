"""Budget estimates (dự toán kinh phí) per unit and year, the computed bonus line, and the
finance office's allocation."""
