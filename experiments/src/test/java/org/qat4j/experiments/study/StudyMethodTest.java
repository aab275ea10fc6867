package org.qat4j.experiments.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class StudyMethodTest {

    @Test
    void parseListKeepsEnumOrder() {
        assertEquals(List.of(StudyMethod.PTQ_MINMAX, StudyMethod.PTQ_MSE, StudyMethod.QAT, StudyMethod.CONTROL),
                List.copyOf(StudyMethod.parseList(List.of("control", "qat", "ptq-mse", "ptq-minmax"))));
    }

    @Test
    void ptqStandsForBothPtqMethods() {
        assertEquals(List.of(StudyMethod.PTQ_MINMAX, StudyMethod.PTQ_MSE),
                List.copyOf(StudyMethod.parseList(List.of("ptq"))));
        assertEquals(List.of(StudyMethod.PTQ_MINMAX, StudyMethod.PTQ_MSE, StudyMethod.QAT, StudyMethod.CONTROL),
                List.copyOf(StudyMethod.parseList(List.of("ptq", "qat", "control"))));
    }

    @Test
    void parseListIgnoresCaseSpacesAndRepeats() {
        assertEquals(List.of(StudyMethod.PTQ_MSE, StudyMethod.QAT),
                List.copyOf(StudyMethod.parseList(List.of(" QAT ", "ptq-mse", "qat", "PTQ-MSE"))));
    }

    @Test
    void parseListRejectsUnknownName() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> StudyMethod.parseList(List.of("qat", "lsq")));
        assertEquals("Method 'lsq' is unknown: use ptq-minmax, ptq-mse, qat, control or ptq for both PTQ methods",
                error.getMessage());
    }

    @Test
    void columnsOfRunsCsv() {
        assertEquals("ptq", StudyMethod.PTQ_MSE.method());
        assertEquals("mse", StudyMethod.PTQ_MSE.range());
        assertEquals("qat", StudyMethod.QAT.method());
        assertEquals("lsq", StudyMethod.QAT.range());
        assertEquals("fp32-control", StudyMethod.CONTROL.method());
        assertEquals(false, StudyMethod.CONTROL.quantizes());
        assertEquals(true, StudyMethod.QAT.learnScale());
    }
}
