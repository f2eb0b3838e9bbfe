package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.workloads.serving.requests.RequestSpec;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ServingCsvTest {
  @Test
  void oneRowPerRequestAndPerIteration() {
    ServingResult r = ServingSimulation.run(ServingOptions.DEFAULTS,
        ListSource.open(RequestSpec.of(0, 0, 4, 3)), new LinearIterationModel(1000, 0, 10), new KvCapacity(10, 16, 1, 1));
    StringWriter req = new StringWriter();
    ServingCsv.writeRequests(r, req);
    // prefill 1040 ns, decodes 1050 and 1060 ns
    assertEquals(ServingCsv.REQUEST_HEADER + "\n0,0.0,4,3,0.00104,0.00315,0.00104,0.00315,0.001055,0.00106,0,0\n",
        req.toString());
    StringWriter it = new StringWriter();
    ServingCsv.writeIterations(r, it);
    assertEquals(ServingCsv.ITERATION_HEADER + "\n"
        + "0,0.0,0.00104,prefill-only,1,4,0,1,0.1,0\n"
        + "1,0.00104,0.00105,decode-only,1,0,1,1,0.1,0\n"
        + "2,0.00209,0.00106,decode-only,1,0,1,1,0.1,0\n", it.toString());
  }
}
