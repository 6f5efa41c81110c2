package io.influxbak.layout;

/** The two forms of Parquet keys under {@code dbs/}. */
public enum ParquetPathForm {
  /** {@code dbs/<db_name>-<db_id>/<table_name>-<table_id>/...}: 3.0 to 3.5. */
  NAME_AND_ID,
  /** {@code dbs/<db_id>/<table_id>/...}: 3.6 and later. */
  ID_ONLY
}
