package io.duplexsim.isa.trace;

/** The value shapes a trace field can have; each codec encodes each shape one way. */
enum FieldKind {
  INT,
  LONG,
  BOOLEAN,
  ENUM,
  INT_SEQ,
  FORMAT,
  /** A nested record (Placement), optional: null means absent. */
  RECORD
}
