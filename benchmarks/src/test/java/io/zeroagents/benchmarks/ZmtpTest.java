package io.zeroagents.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

class ZmtpTest {
    @Test
    void frame_bodyOf255Bytes_hasAOneByteSize() {
        byte[] frame = Zmtp.frame(Zmtp.MORE, new byte[255]);

        assertEquals(2 + 255, frame.length);
        assertEquals(Zmtp.MORE, frame[0]);
        assertEquals((byte) 255, frame[1]);
    }

    @Test
    void frame_bodyOf256Bytes_hasAnEightByteSizeAndTheLongFlag() {
        byte[] frame = Zmtp.frame(0, new byte[256]);

        assertEquals(9 + 256, frame.length);
        assertEquals(Zmtp.LONG, frame[0]);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 0}, Arrays.copyOfRange(frame, 1, 9));
    }

    @Test
    void emptyMoreFrames_count_twoBytesEachFlaggedMoreWithSizeZero() {
        assertArrayEquals(new byte[] {1, 0, 1, 0, 1, 0}, Zmtp.emptyMoreFrames(3));
    }

    @Test
    void invalidMessages_count_wholeOneByteMessages() {
        assertArrayEquals(new byte[] {0, 1, (byte) 0xee, 0, 1, (byte) 0xee}, Zmtp.invalidMessages(2));
    }

    @Test
    void subscription_100000Bytes_isOneLongFrameStartingWithTheSubscribeByte() {
        byte[] frame = Zmtp.subscription(100_000);

        assertEquals(9 + 1 + 100_000, frame.length);
        assertEquals(Zmtp.LONG, frame[0]);
        assertEquals(1, frame[9]);
    }

    @Test
    void ready_socketType_isACommandNamingIt() {
        byte[] ready = Zmtp.ready("PUSH");

        assertEquals(Zmtp.COMMAND, ready[0]);
        String body = new String(ready, 2, ready.length - 2, StandardCharsets.US_ASCII);
        assertEquals("\u0005READY\u000bSocket-Type\u0000\u0000\u0000\u0004PUSH", body);
    }

    @Test
    @Timeout(30)
    void handshake_jeromqPull_receivesTheHandWrittenFrames() throws Exception {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket pull = context.createSocket(SocketType.PULL);
            pull.setReceiveTimeOut(10_000);
            String endpoint = Raw.bind(pull, "tcp://127.0.0.1:*");
            byte[] large = Raw.payload(300);

            try (Socket attacker = Zmtp.handshake(endpoint, "PUSH", 10_000)) {
                OutputStream out = attacker.getOutputStream();
                out.write(Zmtp.frame(Zmtp.MORE, "first".getBytes(StandardCharsets.US_ASCII)));
                out.write(Zmtp.frame(0, large));
                out.flush();

                assertEquals("first", pull.recvStr());
                assertArrayEquals(large, pull.recv());
            }
        }
    }
}
