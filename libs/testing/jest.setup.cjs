// Tests are deterministic about time zones.
process.env.TZ = 'UTC';
