"""Project Scrapy commands (COMMANDS_MODULE)."""
