package io.duplexsim.sim;

/**
 * Bad input from the user (a config key, a trace line, a flag). The message names the file, line
 * or key and what was expected; the command line prints it alone and exits with status 2.
 */
public class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
