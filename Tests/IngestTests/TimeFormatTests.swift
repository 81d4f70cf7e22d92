import Records
import Testing

@testable import Ingest

/// `/usr/bin/time -v` and a shell's `time` kept as text: a build's time is a
/// benchmark (it was skipped as "no benchmark data", and its figures lost).
@Suite struct TimeFormatTests {
    /// A clock's `3:32.67` is 3 × 60 + 32.67, to a rounding.
    private func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-9 * max(1, abs($1)) }
    }

    private func report(_ command: String, elapsed: String, status: Int = 0) -> String {
        """
        make[1]: Leaving directory '/home/ci/linux-6.6.8'
        \tCommand being timed: "\(command)"
        \tUser time (seconds): 2871.43
        \tSystem time (seconds): 312.88
        \tPercent of CPU this job got: 1497%
        \tElapsed (wall clock) time (h:mm:ss or m:ss): \(elapsed)
        \tMaximum resident set size (kbytes): 1048212
        \tExit status: \(status)

        """
    }

    /// A report read before its `Exit status:` line (a failing command's
    /// status not yet written) is left out with a note: its times read as a
    /// success's were a failed run's.
    @Test func aReportBeforeItsExitStatusIsLeftOut() throws {
        let whole = report("make -j16 bzImage", elapsed: "3:32.67")
        let failing = report("sh -c 'exit 3'", elapsed: "0:00.01", status: 3)
        let early = failing.components(separatedBy: "\tExit status")[0]  // up to the line before `Exit status`
        let e = try ParsedText.extract(whole + early, "build.log")
        #expect(e.measurements.allSatisfy { !$0.name.contains("exit 3") } && e.measurements.contains { $0.name == "make -j16 bzImage" })
        #expect(
            e.notes.contains {
                $0.hasPrefix("the last time -v report ('sh -c 'exit 3'') ends before its Exit status line")
            }, "\(e.notes)")
        // Whole, it is a failed run, its times left out.
        let done = try ParsedText.extract(whole + failing, "build.log")
        #expect(done.notes.contains { $0.contains("exited with a status other than 0") }, "\(done.notes)")
    }

    @Test func gnuTimesReportIsABenchmarkOfItsCommand() throws {
        let e = try ParsedText.extract(
            report("make -j16 bzImage", elapsed: "3:32.67") + report("make -j16 bzImage", elapsed: "1:03:32.5"), "build.log")
        #expect(e.shape == .timeReport)
        let wall = try #require(e.measurements.first { $0.name == "make -j16 bzImage" })
        #expect(close(wall.samples, [212.67, 3812.5]) && wall.unit == "s" && wall.isRegressionTested, "\(wall)")
        #expect(close([wall.median, wall.min, wall.max].compactMap { $0 }, [(212.67 + 3812.5) / 2, 212.67, 3812.5]))
        #expect(e.measurements.first { $0.name == "make -j16 bzImage max RSS" }?.samples == [1_048_212, 1_048_212])
        #expect(
            e.measurements.filter { !$0.isRegressionTested }.map(\.name).sorted() == [
                "make -j16 bzImage max RSS", "make -j16 bzImage system time", "make -j16 bzImage user time",
            ])
    }

    /// A run that exited with a status other than 0 built nothing: its time is left out, and said.
    @Test func aFailedRunsTimeIsNoBuilds() throws {
        let e = try ParsedText.extract(report("make", elapsed: "3:32.67") + report("make", elapsed: "0:01.20", status: 2), "build.log")
        let wall = try #require(e.measurements.first { $0.name == "make" })
        #expect(close(wall.samples, [212.67]) && wall.failedRuns == 1 && wall.failure == "exit status 2")
        #expect(e.notes == ["1 run(s) of 'make' exited with a status other than 0 (the first: exit status 2): their times left out"])
        // Killed by a signal, GNU time says so and still prints `Exit status: 0`.
        let killed = report("make", elapsed: "0:35.02").replacingOccurrences(
            of: "\tExit status: 0", with: "\tCommand terminated by signal 9\n\tExit status: 0")
        let k = try ParsedText.extract(report("make", elapsed: "3:32.67") + killed, "build.log")
        let run = try #require(k.measurements.first { $0.name == "make" })
        #expect(close(run.samples, [212.67]) && run.failedRuns == 1 && run.failure == "terminated by signal 9", "\(run)")
        // GNU time 1.9 prints it above the report: the OOM killer's build was a success, and an
        // "improvement" night over night (campaign s36c #1).
        let above = try ParsedText.extract(
            report("make", elapsed: "3:32.67") + "Command terminated by signal 9\n" + report("make", elapsed: "1:00.12"), "build.log")
        let first = try #require(above.measurements.first { $0.name == "make" })
        #expect(close(first.samples, [212.67]) && first.failedRuns == 1 && first.failure == "terminated by signal 9", "\(first)")
    }

    /// A shell's `time` says nothing of the command's status, but make
    /// does: a build that stopped at `make: *** [...] Error 2` is a failed
    /// run, its short time no improvement (campaign s36c #3). bash traces
    /// `time make -j16` as `+ make -j16`: that names the timing (two
    /// commands were one benchmark, named after the file; campaign s36c #4).
    @Test func aBuildToolsFailureFailsAShellTimedRun() throws {
        let log = """
            + make defconfig
            real\t0m2.010s
            user\t0m1.500s
            sys\t0m0.400s
            + make -j16
            make[3]: *** [scripts/Makefile.build:243: kernel/sched/core.o] Error 1
            make: *** [Makefile:234: __sub-make] Error 2

            real\t0m41.210s
            user\t5m02.110s
            sys\t0m40.002s
            + make -j16
            real\t3m32.671s
            user\t40m1.000s
            sys\t3m0.000s

            """
        let e = try ParsedText.extract(log, "kbuild.log")
        let build = try #require(e.measurements.first { $0.name == "make -j16" })
        #expect(close(build.samples, [212.671]) && build.failedRuns == 1, "\(build)")
        #expect(build.failure == "make[3]: *** [scripts/Makefile.build:243: kernel/sched/core.o] Error 1")
        #expect(close(try #require(e.measurements.first { $0.name == "make defconfig" }).samples, [2.01]))
        #expect(TimeFormat.buildFailure("ninja: build stopped: subcommand failed.") != nil)
        #expect(TimeFormat.buildFailure("make: Nothing to be done for 'all'.") == nil && TimeFormat.tracedCommand("+ START=3") == nil)
        #expect(TimeFormat.tracedCommand("+ tee build.log") == nil)
    }

    /// A make that failed in a CI log with no line naming the timed command
    /// is not known to be it; a trace inside the output of a command a
    /// prompt named (`$ time make`) does not rename it (review s36).
    @Test func aFailureOrATraceOutsideTheTimedCommandChangesNothing() throws {
        let ci =
            "Running unit tests (allowed to fail)\nmake: *** [Makefile:40: test] Error 2\nRunning benchmark\nreal\t3m32.671s\nuser\t40m1.000s\nsys\t3m0.000s\n"
        let e = try ParsedText.extract(ci, "ci.log")
        #expect(e.measurements.first { $0.name == "ci" }?.failedRuns == 0)
        let recipe = "$ time make -j16\n+ gcc -O2 -c foo.c\n+ ld -o foo foo.o\nreal\t0m2.000s\nuser\t0m1.000s\nsys\t0m0.500s\n"
        #expect(try ParsedText.extract(recipe, "build.log").measurements.first?.name == "make -j16")
    }

    /// `/usr/bin/time make` without `-v`: its one line, a failed run's
    /// status on the line above it.
    @Test func gnuTimesDefaultLineIsRead() throws {
        let text = """
            + time make -j16
            2871.43user 312.88system 3:32.67elapsed 1497%CPU (0avgtext+0avgdata 1048212maxresident)k
            2184inputs+1923880outputs (112major+98213345minor)pagefaults 0swaps
            + time make -j16
            Command exited with non-zero status 2
            1.20user 0.30system 0:01.90elapsed 78%CPU (0avgtext+0avgdata 52000maxresident)k
            0inputs+0outputs (0major+1000minor)pagefaults 0swaps

            """
        let e = try ParsedText.extract(text, "build.log")
        let wall = try #require(e.measurements.first { $0.name == "make -j16" })
        #expect(close(wall.samples, [212.67]) && wall.failedRuns == 1 && wall.failure == "exit status 2", "\(wall)")
        #expect(e.measurements.first { $0.name == "make -j16 max RSS" }?.samples == [1_048_212])
        #expect(close(e.measurements.first { $0.name == "make -j16 user time" }?.samples ?? [], [2871.43]))
    }

    @Test func aShellsTimeIsNamedAfterTheFile() throws {
        let bash = try ParsedText.extract(
            "\nreal\t3m32.671s\nuser\t47m51.430s\nsys\t5m12.880s\n\nreal\t3m30.000s\nuser\t47m0s\nsys\t5m0.5s\n", "kernel-build.txt")
        let wall = try #require(bash.measurements.first { $0.name == "kernel-build" })
        #expect(wall.samples == [212.671, 210] && wall.isRegressionTested)
        #expect(bash.measurements.first { $0.name == "kernel-build user time" }?.samples == [2871.43, 2820])
        let posix = try ParsedText.extract("real 212.67\nuser 2871.43\nsys 312.88\n", "p.txt")
        #expect(posix.measurements.first?.samples == [212.67])
        // `set -x`'s `+ time cmd` names each timing: two commands are never pooled.
        let traced = try ParsedText.extract(
            "+ time ./configure\nchecking for gcc... yes\n\nreal\t0m5.000s\nuser\t0m3.0s\nsys\t0m1.0s\n+ time make -j8\n\nreal\t3m20.000s\nuser\t20m0s\nsys\t1m0s\n",
            "build.txt")
        #expect(traced.measurements.filter(\.isRegressionTested).map(\.name) == ["./configure", "make -j8"])
        // A table of results printed by the command timed is kept beside its time.
        let both = try ParsedText.extract(
            "| model | tok/s |\n|---|---|\n| llama3 | 51.7 |\n| phi3 | 70.1 |\n\nreal\t0m12.345s\nuser\t0m1.0s\nsys\t0m0.5s\n", "bench.log")
        #expect(both.measurements.contains { $0.name == "bench" && $0.isRegressionTested })
        #expect(!both.series.isEmpty, "\(both.series)")
        // Digits only: `0x10` is no time.
        #expect(ParsedText.skipReason("real 0x10\nuser 0x1\nsys 0x1\n", "h.txt") != nil)
        // `real` in a sentence, or without its user and sys lines, is no time.
        #expect(ParsedText.skipReason("real numbers are used\nuser asked\nsys admin\n", "notes.txt") != nil)
        #expect(ParsedText.skipReason("real\t0m1.000s\nsomething else\nsys\t0m0.1s\n", "n.txt") != nil)
    }

    /// Other shells' `time`, and a locale's decimal comma: each was "no
    /// benchmark data", its build's time lost.
    @Test func otherShellsTimesAreRead() throws {
        // zsh's one line names its command.
        let zsh = try ParsedText.extract(
            "make -j8  2871.43s user 312.88s system 1497% cpu 3:32.671 total\nmake -j8  2800,5s user 300,1s system 1490% cpu 210,5 total\n", "z.log")
        let wall = try #require(zsh.measurements.first { $0.name == "make -j8" })
        #expect(close(wall.samples, [212.671, 210.5]) && wall.isRegressionTested, "\(zsh.measurements)")
        #expect(close(zsh.measurements.first { $0.name == "make -j8 user time" }?.samples ?? [], [2871.43, 2800.5]))
        // fish's block names no command: the file's name.
        let fish = try ParsedText.extract(
            """
            ________________________________________________________
            Executed in    3.07 secs    fish           external
               usr time    2.71 secs    0.00 micros    2.71 secs
               sys time  310.00 millis  560.00 micros  310.00 millis

            """, "fish-build.txt")
        #expect(fish.measurements.first { $0.name == "fish-build" }.map { close($0.samples, [3.07]) } == true, "\(fish.measurements)")
        #expect(fish.measurements.first { $0.name == "fish-build system time" }.map { close($0.samples, [0.31]) } == true)
        // busybox's `0m 3.07s`, and bash under de_DE: `0m3,068s`.
        let busybox = try ParsedText.extract("real\t0m 3.07s\nuser\t0m 2.71s\nsys\t0m 0.31s\n", "bb.txt")
        #expect(busybox.measurements.first.map { close($0.samples, [3.07]) } == true)
        let german = try ParsedText.extract("real\t1m3,068s\nuser\t0m2,710s\nsys\t0m0,310s\n", "de.txt")
        #expect(german.measurements.first.map { close($0.samples, [63.068]) } == true, "\(german.measurements)")
        // A sentence ending in "total", or a comma list, is no time.
        #expect(ParsedText.skipReason("the cpu was busy, 3 in total\n", "t.txt") != nil)
        #expect(ParsedText.skipReason("real\t1,2,3s\nuser\t1s\nsys\t1s\n", "c.txt") != nil)
    }
}
