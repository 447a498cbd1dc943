-- Runs once, when the PostgreSQL container first creates its data directory.
-- Each service gets a role that owns its own schema and nothing else: no service can read
-- another's tables. Passwords come from the container environment (see docker-compose.yml).
\getenv account_password ACCOUNT_DB_PASSWORD
\getenv otp_password OTP_DB_PASSWORD

CREATE ROLE account_service LOGIN PASSWORD :'account_password';
CREATE ROLE otp_service LOGIN PASSWORD :'otp_password';

CREATE SCHEMA account AUTHORIZATION account_service;
CREATE SCHEMA otp AUTHORIZATION otp_service;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE twofold FROM PUBLIC;
GRANT CONNECT ON DATABASE twofold TO account_service, otp_service;
