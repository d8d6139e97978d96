CREATE TABLE log (at timestamptz, message text);
