"""The questionnaire engine and the survey data: instruments, campaigns, responses."""
