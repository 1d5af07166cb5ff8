"""The letter pages, one module per group: letters (list, one letter, its lifecycle), templates, ranking."""
