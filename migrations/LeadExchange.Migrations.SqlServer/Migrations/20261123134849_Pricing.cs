using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadExchange.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Pricing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DemandFactors",
                columns: table => new
                {
                    NicheCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    RegionCode = table.Column<string>(type: "varchar(10)", unicode: false, maxLength: 10, nullable: false),
                    Factor = table.Column<decimal>(type: "decimal(9,4)", precision: 9, scale: 4, nullable: false),
                    ActiveOrders = table.Column<int>(type: "int", nullable: false),
                    RecentSupply = table.Column<int>(type: "int", nullable: false),
                    ComputedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DemandFactors", x => new { x.NicheCode, x.RegionCode });
                    table.ForeignKey(
                        name: "FK_DemandFactors_Niches_NicheCode",
                        column: x => x.NicheCode,
                        principalTable: "Niches",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DemandFactors_Regions_RegionCode",
                        column: x => x.RegionCode,
                        principalTable: "Regions",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GeoFactors",
                columns: table => new
                {
                    RegionCode = table.Column<string>(type: "varchar(10)", unicode: false, maxLength: 10, nullable: false),
                    NicheCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Factor = table.Column<decimal>(type: "decimal(9,4)", precision: 9, scale: 4, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GeoFactors", x => new { x.RegionCode, x.NicheCode });
                    table.ForeignKey(
                        name: "FK_GeoFactors_Regions_RegionCode",
                        column: x => x.RegionCode,
                        principalTable: "Regions",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NichePrices",
                columns: table => new
                {
                    NicheCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    BasePrice = table.Column<long>(type: "bigint", nullable: false),
                    FloorPrice = table.Column<long>(type: "bigint", nullable: false),
                    CeilingPrice = table.Column<long>(type: "bigint", nullable: false),
                    SeasonFactors = table.Column<string>(type: "varchar(200)", unicode: false, maxLength: 200, nullable: false),
                    HotMultiplier = table.Column<decimal>(type: "decimal(9,4)", precision: 9, scale: 4, nullable: false),
                    WarmMultiplier = table.Column<decimal>(type: "decimal(9,4)", precision: 9, scale: 4, nullable: false),
                    ColdMultiplier = table.Column<decimal>(type: "decimal(9,4)", precision: 9, scale: 4, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NichePrices", x => x.NicheCode);
                    table.ForeignKey(
                        name: "FK_NichePrices_Niches_NicheCode",
                        column: x => x.NicheCode,
                        principalTable: "Niches",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PricingChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    NicheCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    RegionCode = table.Column<string>(type: "varchar(10)", unicode: false, maxLength: 10, nullable: true),
                    UserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    UserEmail = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Before = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    After = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    At = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PricingChanges", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DemandFactors_RegionCode",
                table: "DemandFactors",
                column: "RegionCode");

            migrationBuilder.CreateIndex(
                name: "IX_GeoFactors_NicheCode",
                table: "GeoFactors",
                column: "NicheCode");

            migrationBuilder.CreateIndex(
                name: "IX_PricingChanges_At",
                table: "PricingChanges",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_PricingChanges_NicheCode_At",
                table: "PricingChanges",
                columns: new[] { "NicheCode", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DemandFactors");

            migrationBuilder.DropTable(
                name: "GeoFactors");

            migrationBuilder.DropTable(
                name: "NichePrices");

            migrationBuilder.DropTable(
                name: "PricingChanges");
        }
    }
}
