-- Seed data for kctop's demo stack: two databases captured by two Debezium connectors
-- (cdc-test-connector: database `test`, cdc-other-connector: database `other`).

CREATE DATABASE IF NOT EXISTS test;
CREATE DATABASE IF NOT EXISTS other;

CREATE TABLE test.customers (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(200) NOT NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);
INSERT INTO test.customers (name, email) VALUES
  ('Ada Lovelace', 'ada@example.com'),
  ('Alan Turing', 'alan@example.com'),
  ('Grace Hopper', 'grace@example.com');

CREATE TABLE test.orders (
  id INT AUTO_INCREMENT PRIMARY KEY,
  customer_id INT NOT NULL,
  amount DECIMAL(10, 2) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (customer_id) REFERENCES test.customers (id)
);
INSERT INTO test.orders (customer_id, amount) VALUES (1, 12.50), (2, 99.00), (3, 7.25), (1, 42.00);

CREATE TABLE other.events (
  id INT AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(50) NOT NULL,
  payload JSON,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO other.events (kind, payload) VALUES
  ('signup', JSON_OBJECT('user', 'ada')),
  ('login', JSON_OBJECT('user', 'alan'));

-- The Debezium MySQL connector's user and the grants it needs (Debezium MySQL connector docs).
-- mysql_native_password: MySQL 8's default caching_sha2_password makes the connector fail with
-- "Public Key Retrieval is not allowed" on a plain connection (Debezium's own example does the same).
CREATE USER IF NOT EXISTS 'debezium'@'%' IDENTIFIED WITH mysql_native_password BY 'dbz';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO 'debezium'@'%';
FLUSH PRIVILEGES;
