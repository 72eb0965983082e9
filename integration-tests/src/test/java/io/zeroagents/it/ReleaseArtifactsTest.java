package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.it.support.NameServerJar;
import io.zeroagents.testsupport.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a release publishes, read from the jars this build made: module names and versions in the
 * manifests, sources and Javadoc beside every published jar, a BOM that lists them all, and a
 * runnable daemon jar that keeps every bundled library's license and notice texts.
 */
class ReleaseArtifactsTest {
    /** The published modules, as the BOM must list them; every other module sets maven.deploy.skip. */
    private static final List<String> PUBLISHED = List.of("agent-api", "agent-runtime", "serialization", "transport",
            "nameserver-client", "nameserver", "nameserver-federation", "nameserver-daemon", "log4j-appender",
            "zeroagents-testkit");
    /** The published modules whose directory is not named as their artifact. */
    private static final Map<String, String> DIRECTORIES = Map.of("zeroagents-testkit", "testkit");

    private static final Path ROOT = Path.of(System.getProperty("zeroagents.test.project.root", ".."));
    private static final String VERSION = System.getProperty("zeroagents.test.project.version", "");

    @Test
    void publishedModules_jars_carryModuleNameVersionSourcesAndJavadoc() throws IOException {
        for (String module : PUBLISHED) {
            Path target = ROOT.resolve(directory(module)).resolve("target");
            Path jar = target.resolve(module + "-" + VERSION + ".jar");
            assertTrue(Files.isRegularFile(jar), "no jar " + jar + ": run through ./mvnw verify");
            try (JarFile file = new JarFile(jar.toFile())) {
                Attributes main = file.getManifest().getMainAttributes();
                String name = main.getValue("Automatic-Module-Name");
                assertNotNull(name, module + " has no Automatic-Module-Name");
                assertTrue(name.startsWith("io.zeroagents."), module + ": " + name);
                assertEquals(VERSION, main.getValue("Implementation-Version"), module);
            }
            for (String classifier : List.of("sources", "javadoc")) {
                Path attached = target.resolve(module + "-" + VERSION + "-" + classifier + ".jar");
                assertTrue(Files.isRegularFile(attached), "no " + classifier + " jar for " + module);
            }
        }
    }

    @Test
    void publishedModules_moduleNames_areDistinct() throws IOException {
        List<String> names = new ArrayList<>();
        for (String module : PUBLISHED) {
            try (JarFile file = new JarFile(ROOT.resolve(directory(module)).resolve("target")
                    .resolve(module + "-" + VERSION + ".jar").toFile())) {
                names.add(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
            }
        }
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
    }

    @Test
    void bom_listsEveryPublishedModuleAtTheProjectVersion() throws Exception {
        Document bom = xml(ROOT.resolve("bom/pom.xml"));
        assertEquals(VERSION, child(bom.getDocumentElement(), "version"));
        List<String> listed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertEquals(VERSION, child(dependency, "version"), child(dependency, "artifactId"));
            if (child(dependency, "classifier") == null) {
                listed.add(child(dependency, "artifactId"));
            }
        }
        assertEquals(PUBLISHED.stream().sorted().toList(), listed.stream().sorted().toList());
    }

    @Test
    void rootPom_everyModule_isPublishedOrSaysItIsNot() throws Exception {
        NodeList modules = xml(ROOT.resolve("pom.xml")).getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().trim();
            if (module.equals("bom")
                    || PUBLISHED.stream().map(ReleaseArtifactsTest::directory).anyMatch(module::equals)) {
                continue;
            }
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            assertTrue(pom.contains("<maven.deploy.skip>true</maven.deploy.skip>"),
                    "module " + module + " is neither in the BOM nor marked maven.deploy.skip");
        }
    }

    @Test
    void stagingCheck_listsEveryPublishedModule() throws IOException {
        String script = Files.readString(ROOT.resolve(".ci/check-staged"));
        int start = script.indexOf("for module in") + "for module in".length();
        String list = script.substring(start, script.indexOf("; do", start));
        List<String> listed = List.of(list.replace("\\", " ").trim().split("\\s+"));

        assertEquals(PUBLISHED.stream().sorted().toList(), listed.stream().sorted().toList(),
                ".ci/check-staged checks the modules the BOM lists");
    }

    @Test
    void daemonJar_noticeAndLicense_keepOursAndEveryBundledLibrarysTexts() throws IOException {
        try (JarFile jar = new JarFile(NameServerJar.path().toFile())) {
            String notice = text(jar, "META-INF/NOTICE");
            assertTrue(notice.startsWith("ZeroAgents name server"), "ours comes first");
            assertTrue(notice.contains("JeroMQ") && notice.contains("Mozilla Public License 2.0"), notice);
            // Appended, not overwritten: Hazelcast's own notice follows ours.
            assertTrue(notice.indexOf("com.hazelcast.internal.util", notice.indexOf("JSON-java")) > 0,
                    "Hazelcast's NOTICE is kept");
            String license = text(jar, "META-INF/LICENSE");
            String ours = Files.readString(ROOT.resolve("LICENSE"));
            assertTrue(license.startsWith(ours), "ours comes first");
            assertTrue(license.length() > ours.length(), "the bundled libraries' LICENSE texts are appended to ours");
            for (String file : List.of("META-INF/licenses/MPL-2.0.txt", "META-INF/licenses/BSD-3-Clause-protobuf.txt",
                    "META-INF/licenses/BSD-2-Clause-jnacl.txt", "LICENSE-ClassGraph.txt")) {
                assertNotNull(jar.getEntry(file), file);
            }
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals(VERSION, main.getValue("Implementation-Version"));
            assertEquals("io.zeroagents.nameserver.daemon", main.getValue("Automatic-Module-Name"));
        }
    }

    @Test
    @Timeout(60)
    void daemonJar_versionFlag_printsTheBuiltVersion() throws Exception {
        ChildProcess.Result result = ChildProcess.runJar(NameServerJar.path(), "--version");

        result.assertSucceededPrinting("ZeroAgents name server " + VERSION);
    }

    private static String directory(String artifactId) {
        return DIRECTORIES.getOrDefault(artifactId, artifactId);
    }

    private static String text(JarFile jar, String name) throws IOException {
        ZipEntry entry = jar.getEntry(name);
        assertNotNull(entry, name + " missing from " + jar.getName());
        return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static String child(Element parent, String tag) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
