// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "ShareTrack",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sharetrackd", targets: ["sharetrackd"]),
        .executable(name: "sharectl", targets: ["sharectl"]),
        .executable(name: "sharetrack-bench", targets: ["sharetrack-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .systemLibrary(name: "CEpoll"),
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),

        // Events, parser, attribution, counters, configuration: pure, no I/O.
        .target(
            name: "ShareTrackCore",
            dependencies: ["CLibCrypto"],
            swiftSettings: strict
        ),
        // SQLite: schema, migrations, flush transactions, queries.
        .target(
            name: "ShareTrackStore",
            dependencies: ["ShareTrackCore", "CSQLite"],
            swiftSettings: strict
        ),
        // PostgreSQL through libpq: the shared store's schema, shipping transactions and queries.
        .target(
            name: "ShareTrackShared",
            dependencies: ["ShareTrackCore", "ShareTrackStore", "CLibPQ"],
            swiftSettings: strict
        ),
        // Sockets, event loop, flush scheduler, control server, systemd.
        .target(
            name: "ShareTrackDaemon",
            dependencies: [
                "ShareTrackCore",
                "ShareTrackStore",
                "ShareTrackShared",
                "CSystemd",
                "CEpoll",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "sharetrackd",
            dependencies: [
                "ShareTrackDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "sharectl",
            dependencies: [
                "ShareTrackCore",
                "ShareTrackStore",
                "ShareTrackShared",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "sharetrack-bench",
            dependencies: [
                "ShareTrackCore",
                "ShareTrackStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict
        ),

        // What several test targets share: the unit tests' visitor key, databases of older schemas.
        .target(
            name: "TestSupport",
            dependencies: ["ShareTrackCore", "ShareTrackStore"],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ShareTrackCoreTests",
            dependencies: ["ShareTrackCore", "CLibCrypto", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ShareTrackDaemonTests",
            dependencies: [
                "ShareTrackDaemon",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ShareTrackStoreTests",
            dependencies: ["ShareTrackStore", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ShareTrackSharedTests",
            dependencies: ["ShareTrackShared"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["ShareTrackCore", "ShareTrackStore", "ShareTrackShared", "TestSupport"],
            swiftSettings: strict
        ),
    ]
)
